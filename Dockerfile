# Capacitas production image: `docker build -t capacitas .` (see docs/operations.md).
# Stage 1 builds wheels and collects static files with the build tools; stage 2 gets only the
# virtualenv, the code and the collected files, and runs as an unprivileged user.

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
COPY cms/__init__.py cms/__init__.py
COPY courses/__init__.py courses/__init__.py
COPY learners/__init__.py learners/__init__.py
# Only the dependencies go into the virtualenv: the code runs from /app, as in development.
RUN pip install ".[s3,sentry]" && pip uninstall -y capacitas
COPY . .
# Translations are committed compiled (locale/*/LC_MESSAGES/django.mo); only static files remain.
RUN DJANGO_SETTINGS_MODULE=cms.settings.production SECRET_KEY=build-only ALLOWED_HOSTS=build \
    STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput --verbosity 0

FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media PRIVATE_MEDIA_ROOT=/data/private \
    DJANGO_COLLECTSTATIC=0 PORT=8000
# No compiler, no apt packages: psycopg[binary] and every other wheel bring what they need.
RUN groupadd --system --gid 10001 capacitas \
 && useradd --system --uid 10001 --gid capacitas --home-dir /app --shell /usr/sbin/nologin capacitas \
 && mkdir -p /data/media /data/private \
 && chown -R capacitas:capacitas /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=root:root /app /app
WORKDIR /app
USER capacitas
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:' + os.environ['PORT'] + '/healthz', headers={'Host': 'localhost'}), timeout=4)"]
ENTRYPOINT ["deploy/entrypoint"]
CMD ["deploy/start-web"]
