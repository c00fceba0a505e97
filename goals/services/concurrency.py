"""What every workflow that saves a page's edits says when someone saved first."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class StaleEdit(ValidationError):
    """Someone saved the same thing since this person loaded the page; nothing was written."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else saved this in the meantime. Nothing was written: reload the page "
                "to see their changes, then make yours again."
            )
        )
