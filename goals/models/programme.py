"""The municipality's Operational Programme: axes, measures and actions (maintained in admin)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeItem(models.Model):
    """What every level of the Operational Programme has: a code and a title."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProgrammeAxis(ProgrammeItem):
    """An axis (άξονας) of the municipality's Operational Programme."""

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("programme axis")
        verbose_name_plural = _("programme axes")


class ProgrammeMeasure(ProgrammeItem):
    """A measure (μέτρο) of one axis of the Operational Programme."""

    axis = models.ForeignKey(
        ProgrammeAxis, verbose_name=_("axis"), on_delete=models.PROTECT, related_name="measures"
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("programme measure")
        verbose_name_plural = _("programme measures")


class ProgrammeAction(ProgrammeItem):
    """An action (δράση) of one measure of the Operational Programme; goals may refer to it."""

    measure = models.ForeignKey(
        ProgrammeMeasure,
        verbose_name=_("measure"),
        on_delete=models.PROTECT,
        related_name="actions",
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("programme action")
        verbose_name_plural = _("programme actions")
