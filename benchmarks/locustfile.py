"""Locust users for ``benchmarks.load``: closed-loop storefront searches, no think time."""

from __future__ import annotations

import itertools

from locust import FastHttpUser, constant, task

from benchmarks.search_mix import SEARCHES


class StorefrontSearcher(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.bodies = itertools.cycle(SEARCHES)

    @task
    def search(self) -> None:
        self.client.post("/api/search/unified/", json=next(self.bodies), name="unified")
