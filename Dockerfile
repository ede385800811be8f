# acumap in one container: `docker build -t acumap .` then `docker run -p 8501:8501 acumap`.
# Several of them behind nginx: deploy/compose.yaml (see docs/serving.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ACUMAP_DATA_DIR=/app/data

# A user of its own: the server never runs as root, and cannot change the app or its data.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin acumap

WORKDIR /app

# The README's install: the pinned requirements, then the package itself (editable, as `make run`
# does, so the data folder is found beside it).
COPY requirements.txt pyproject.toml ./
RUN pip install -r requirements.txt
COPY src ./src
RUN pip install --no-deps -e .
COPY app.py ./
COPY ui ./ui
COPY data ./data
COPY .streamlit ./.streamlit

USER acumap
EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4); sys.exit(0 if r.read().strip() == b'ok' else 1)"]

CMD ["python", "-m", "streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", \
     "--server.headless=true", "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"]
