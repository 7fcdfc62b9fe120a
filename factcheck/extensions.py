"""Flask extensions, created unbound and initialised in the app factory."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to do that."
login_manager.login_message_category = "info"
# Initialised with the auth blueprint (web/auth.py), which owns sign-in security.
# Storage and on/off come from config (RATELIMIT_STORAGE_URI, RATELIMIT_ENABLED).
limiter = Limiter(key_func=get_remote_address)
