"""The flow every spreadsheet import shares: an upload answered with a preview, nothing saved;
then a confirmation that plans the kept rows again and saves them all, or nothing.

The views check who may import before calling these helpers, and keep what differs: the form,
how a sheet is read and planned, what is saved, the templates and the page after saving.
"""

import secrets
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from goals.models import GoalCycle
from goals.sheets.reading import decode_rows, encode_rows


def keep_pending_import(request, key: str, data: dict) -> str:
    """Keep the checked rows in the session until confirmed; the token names this preview."""
    token = secrets.token_urlsafe(16)
    request.session[key] = {"token": token, **data}
    return token


def take_pending_import(request, key: str) -> dict | None:
    """The rows kept for the preview the form names, removed from the session; None if stale.

    Only the token comes from the form: the rows never leave the server.
    """
    pending = request.session.get(key)
    if not pending or not secrets.compare_digest(pending["token"], request.POST.get("token", "")):
        messages.error(request, _("This preview has expired. Upload the file again."))
        return None
    del request.session[key]
    return pending


def preview_import(
    request,
    form,
    *,
    read: Callable,
    plan: Callable,
    kept: Callable[..., dict],
    session_key: str,
    form_template: str,
    preview_template: str,
) -> HttpResponse:
    """The upload form, or the preview of a valid upload: its changes and every row's errors.

    `read(upload)` gives the sheet, `plan(cycle, sheet)` what importing it would do (both may
    refuse the file with a ValidationError); `kept(upload, sheet, plan)` is what the session
    keeps besides the cycle and the rows, for the confirmation to check.
    """
    if request.method == "POST" and form.is_valid():
        cycle, upload = form.cleaned_data["cycle"], form.cleaned_data["file"]
        try:
            sheet = read(upload)
            planned = plan(cycle, sheet)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            planned.errors = sorted([*sheet.errors, *planned.errors], key=lambda error: error.row)
            token = ""
            if planned.has_changes and not planned.errors:
                data = {"cycle": cycle.pk, "rows": encode_rows(sheet.rows)}
                token = keep_pending_import(
                    request, session_key, {**data, **kept(upload, sheet, planned)}
                )
            ctx = {"plan": planned, "token": token, "file_name": upload.name}
            return render(request, preview_template, ctx)
    status = 400 if form.errors else 200
    return render(request, form_template, {"form": form}, status=status)


def confirm_import(
    request,
    *,
    session_key: str,
    columns,
    plan: Callable,
    save: Callable[..., HttpResponse],
    preview_template: str,
    upload_url: str,
) -> HttpResponse:
    """Save the previewed import: the kept rows are planned again and saved all, or none.

    `plan(cycle, rows, pending)` plans the decoded rows; rows that became invalid since the
    preview show it again (409). `save(cycle, plan, pending)` saves and answers; its refusal
    (a ValidationError) is a message on the upload page (`upload_url`).
    """
    pending = take_pending_import(request, session_key)
    if pending is None:
        return redirect(upload_url)
    cycle = get_object_or_404(GoalCycle, pk=pending["cycle"])
    rows = decode_rows(pending["rows"], columns)
    try:
        planned = plan(cycle, rows, pending)
        if planned.errors:
            # The data changed since the preview in a way that makes rows invalid.
            ctx = {"plan": planned, "token": "", "file_name": pending.get("file_name", "")}
            return render(request, preview_template, ctx, status=409)
        return save(cycle, planned, pending)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(upload_url)


def refuse_if_changed(seen, kept) -> None:
    """Refuse to save when what the plan read now differs from what the preview read."""
    if seen != kept:
        raise ValidationError(
            _(
                "Some of these goals were changed by someone else after the preview. "
                "Nothing was imported; upload the file again to see the changes."
            )
        )
