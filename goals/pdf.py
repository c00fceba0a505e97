"""PDF documents (decisions, directorate reports) rendered by WeasyPrint from our templates.

WeasyPrint never reaches the network: its URL fetcher serves the app's own static files, read
from disk through the staticfiles finders, and refuses every other address. The fonts come
from the system (DejaVu, installed by scripts/bootstrap.sh), so Greek text renders.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A base address that resolves nowhere: relative links in the document are made absolute
# against it, and the fetcher below answers for it alone.
BASE_URL = "https://stoxothesia.invalid/"
CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


class StaticFilesOnly(URLFetcher):
    """Serves `/static/...` from the app's static files; refuses everything else."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        prefix = "/" + settings.STATIC_URL.lstrip("/")
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(prefix):
            raise ValueError(f"PDF documents load only the app's static files, not {url}")
        relative = parts.path.removeprefix(prefix)
        path = finders.find(relative) if ".." not in relative else None
        suffix = "." + relative.rsplit(".", 1)[-1] if "." in relative else ""
        if not path or suffix not in CONTENT_TYPES:
            raise ValueError(f"No such static file: {relative}")
        with open(path, "rb") as file:
            body = file.read()
        return URLFetcherResponse(url, body=body, headers={"Content-Type": CONTENT_TYPES[suffix]})


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()


def pdf_response(template: str, context: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
