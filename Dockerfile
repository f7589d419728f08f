# ges-mock as a service container: the GES export-result API, the admin API,
# and the OBS root as a volume. Build: docker build -t ges-mock .
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /src
COPY pyproject.toml README.md CHANGELOG.md ./
COPY ges_mock ./ges_mock
RUN pip install . && rm -rf /src \
    && useradd --create-home --uid 10001 ges-mock \
    && mkdir -p /data/obs /scenarios \
    && chown ges-mock /data/obs /scenarios

USER ges-mock
WORKDIR /home/ges-mock

ENV GES_MOCK_HOST=0.0.0.0 \
    GES_MOCK_PORT=8080 \
    GES_MOCK_OBS_ROOT=/data/obs \
    GES_MOCK_SCENARIO=default \
    GES_MOCK_LOG_FORMAT=json

VOLUME ["/data/obs", "/scenarios"]
EXPOSE 8080

HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 \
    CMD ["ges-mock", "ready"]

ENTRYPOINT ["ges-mock"]
CMD ["serve"]
