"""The app as gunicorn serves it, plus the stand-in form route: for the two-worker rate-limit test."""

import os

from app import create_app
from tests.support.security import form_bp

app = create_app({"WTF_CSRF_ENABLED": False, "STANDIN_FORM_DELAY": 0.3})
app.register_blueprint(form_bp)


@app.after_request
def _which_worker(response):
    response.headers["X-Worker-Pid"] = str(os.getpid())
    return response
