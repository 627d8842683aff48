"""Fixtures for the service tests (helpers in ``tests/service/helpers.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.app import create_app
from tests.service.helpers import Api, AppServer, service_settings


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    settings = service_settings(tmp_path_factory.mktemp("service") / "var")
    with AppServer(create_app(settings)) as server:
        api = Api(server, settings)
        yield api
        api.client.close()
