"""Extensions not yet bound to an app; create_app() binds them."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
csrf = CSRFProtect()
# No default limits: only the routes that take submissions are limited, never Twilio's webhooks or
# /healthz. The client address is request.remote_addr, which ProxyFix has set from X-Forwarded-For.
# The storage is the last app's to call init_app: one app per process in production.
limiter = Limiter(get_remote_address)
