// Buttons marked data-print open the browser's print dialogue (the print stylesheet applies).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
