from collections.abc import Iterator

import httpx
import pytest

from sampleportal import RunningPortal, Truth, generate_portal, serve_portal
from sampleportal.model import Portal


@pytest.fixture(scope="session")
def portal() -> Portal:
    return generate_portal(1)


@pytest.fixture(scope="session")
def truth(portal: Portal) -> Truth:
    return Truth(portal)


@pytest.fixture()
def running(portal: Portal) -> Iterator[RunningPortal]:
    with serve_portal(portal) as served:
        yield served


@pytest.fixture()
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, trust_env=False) as http:
        yield http
