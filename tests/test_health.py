"""GET /healthz: the app is up and says whether its database answers."""

import pytest

from app import create_app
from tests.support.settings import TEST_CONFIG


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-folder/patchthrough.sqlite3",
        "postgresql://postgres@127.0.0.1:1/test?connect_timeout=2",
    ],
)
def test_healthz_answers_503_when_the_database_is_unreachable(url):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}


def test_an_oversized_request_is_refused_before_anything_reads_it(client):
    response = client.post("/c/anything", data={"phone": "1" * (2 * 1024 * 1024)})
    assert response.status_code == 413
