"""The minutes PDF loads only the app's static files, like the decision documents."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.template import loader
from django.urls import reverse

from meetings.models import Minutes
from meetings.views import minutes as views

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote_server():
    """An address on the network that records every request made to it."""
    requested = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red; }")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requested
    server.shutdown()
    server.server_close()


def test_a_minutes_pdf_does_not_fetch_a_remote_address(
    client_for, head_of_planning, held_meeting, remote_server, monkeypatch
):
    address, requested = remote_server
    Minutes.objects.filter(meeting=held_meeting).update(status=Minutes.Status.CIRCULATED)

    def rendered_with_remote_links(template, context=None, request=None):
        html = loader.render_to_string(template, context, request)
        links = (
            f'<link rel="stylesheet" href="{address}/style.css">'
            f'<img src="{address}/tracker.png" alt="">'
        )
        return html.replace("</body>", links + "</body>")

    monkeypatch.setattr(views, "render_to_string", rendered_with_remote_links)

    response = client_for(head_of_planning).get(
        reverse("meetings:minutes_pdf", args=[held_meeting.pk])
    )

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert requested == []
