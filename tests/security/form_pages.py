"""Helpers for feeding the hostile corpus to any form of the project.

A form is filled as a person's browser would fill it: the page is fetched, the form's fields are
read from it with their current values (hidden version stamps, formset management fields and
selected options included), and one or more of them is replaced by the hostile value. So each
test needs only the page, the address the form posts to and the person, not a copy of the form.
"""

from html.parser import HTMLParser
from types import SimpleNamespace

from django.apps import apps
from django.db import models

from tests.hostile import assert_no_server_error, assert_shown_escaped

TEXT_INPUTS = {"text", "email", "search", "url", "tel", ""}


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower()}
            self._form["fields"] = []  # (name, value, kind)
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                if kind == "radio":
                    self._form["fields"].append((a["name"], a.get("value", ""), "radio-option"))
                return
            if kind in ("submit", "button", "image", "reset"):
                return
            self._form["fields"].append((a["name"], a.get("value", ""), kind))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "selected": [], "first": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None and value:
                self._select["first"] = value
            if "selected" in a:
                self._select["selected"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append((self._textarea[0], self._textarea[1], "textarea"))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = self._select["selected"] or [self._select["first"] or ""]
            for value in chosen:
                self._form["fields"].append((self._select["name"], value, "select"))
            self._select = None


def form_on(page: str, action: str) -> dict:
    """The POST form of a page that posts to `action` (or to the page itself)."""
    parser = _Forms()
    parser.feed(page)
    posting = [f for f in parser.forms if f["method"] == "post" and f["action"] in (action, "")]
    assert posting, f"no form posting to {action}"
    exact = [f for f in posting if f["action"] == action]
    form = (exact or posting)[0]
    data: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    for name, value, kind in form["fields"]:
        if name == "csrfmiddlewaretoken":
            continue
        if kind == "radio-option":  # an unchecked choice: the first one, if none is checked
            kinds.setdefault(name, "radio")
            continue
        kinds[name] = kind
        data.setdefault(name, []).append(value)
    for name, value, kind in form["fields"]:
        if kind == "radio-option" and name not in data:
            data[name] = [value]
    return {"data": data, "kinds": kinds}


def filled(form: dict, value: str, fields: list[str]) -> dict:
    """The form's data with `value` in each of `fields`."""
    data = {k: v[0] if len(v) == 1 else v for k, v in form["data"].items()}
    for name in fields:
        data[name] = value
    return data


def text_fields(form: dict) -> list[str]:
    return [n for n, k in form["kinds"].items() if k == "textarea" or k in TEXT_INPUTS]


def fields_of_kind(form: dict, *kinds: str) -> list[str]:
    return [n for n, k in form["kinds"].items() if k in kinds]


def snapshot(*app_labels: str) -> dict:
    """Every row of every model of these apps (their history tables included)."""
    rows = {}
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(
                model.objects.order_by().values_list(), key=lambda row: row[0]
            )
    return rows


def counts(*app_labels: str) -> dict:
    return {
        model._meta.label: model.objects.count()
        for label in app_labels
        for model in apps.get_app_config(label).get_models()
    }


def stored_somewhere(value: str, *app_labels: str) -> bool:
    """Whether some text column of some row of these apps holds exactly this value."""
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                text = isinstance(field, (models.CharField, models.TextField))
                if text and model.objects.filter(**{field.attname: value}).exists():
                    return True
    return False


def open_form(builder, request, client_for, app_labels: tuple[str, ...]) -> SimpleNamespace:
    """Open a form's page as the person who may use it: `builder(request)` gives
    (user, page URL, form action); the result carries the client, action, form and apps."""
    user, page, action = builder(request)
    client = client_for(user)
    response = client.get(page)
    assert response.status_code == 200, page
    form = form_on(response.content.decode(), action)
    return SimpleNamespace(client=client, action=action, form=form, apps=app_labels)


def post_and_check(a_form: SimpleNamespace, data: dict, value):
    """Post the data; never a 500, input shown back escaped, and either stored as sent
    (accepted) or nothing changed in the form's apps (refused)."""
    before = snapshot(*a_form.apps)

    response = a_form.client.post(a_form.action, data)

    assert_no_server_error(response)
    if isinstance(value, str):
        assert_shown_escaped(response, value)
    if response.status_code == 302:
        if isinstance(value, str) and value.strip() and "\x00" not in value:
            assert stored_somewhere(value.strip(), *a_form.apps), "accepted but not stored as sent"
    else:
        assert snapshot(*a_form.apps) == before, "a refused form changed the database"
    return response
