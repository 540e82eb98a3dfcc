"""The index status page in a real Chromium: a superuser's rebuild runs in the background,
its progress on the page, and the page shows the new index when it is done."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.admin_session import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.usefixtures("opensearch_index")
def test_rebuild_from_the_status_page_shows_progress_then_the_new_index(
    page: Any, client: Any, django_user_model: Any, live_server: Any
) -> None:
    # Given a superuser, two tutorial events and no index yet
    admin = django_user_model.objects.create_superuser("lead", "l@example.com", "pw-12345678")
    factories.TutorialEventFactory(sessions=2)
    factories.TutorialEventFactory(sessions=1)
    log_in(page, client, admin, live_server.url)
    page.goto(reverse("admin:search_index_admin_rebuildrun_changelist"))
    assert "none yet" in page.locator("#index-facts").inner_text()

    # When they press Rebuild
    page.click("#rebuild")

    # Then the page follows the run, and when it ends shows the new live index
    assert page.locator("#rebuild-progress progress").count() == 1
    page.wait_for_function("() => !document.getElementById('rebuild-progress')", timeout=60_000)
    facts = page.locator("#index-facts").inner_text()
    assert "store_products-" in facts
    assert page.locator("#index-documents").inner_text().strip() == "2"
    assert page.locator("#index-pending").inner_text().strip() == "0"
    assert "Finished" in page.locator("#rebuild-runs").inner_text()
