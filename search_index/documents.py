"""The store-product search document: the API row of one store product, plus search fields.

``_source`` holds exactly the row ``search_index.serialization`` builds for the store product
(its one variation, with events and their sessions already sorted), so the API answers
from the index alone; the ``search`` object holds what only querying needs, indexed but
left out of the stored ``_source`` (``UNSTORED_FIELDS``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django_opensearch_dsl import Document, fields
from django_opensearch_dsl.registries import registry

from catalog.groups import GroupTree
from catalog.models import StoreProduct
from search_index.analysis import folded_keyword, folding, prefix
from search_index.building import build_documents, indexable_store_products
from search_index.conf import search_setting

# Bump it whenever what a document holds changes (a field, or how one is built): it
# goes into every document's source fingerprint, so ``check`` reports documents built
# the old way as stale, and the status shows that the live index needs a rebuild.
MAPPING_VERSION = 7
# Kept out of the stored ``_source``: indexed and searchable, never sent back, so a page's
# store products are read as stored (``search_index.search.stored_source``).
UNSTORED_FIELDS = ["search"]
ALIAS_SUFFIX = "store_products"


def alias_name() -> str:
    return f"{search_setting('PREFIX')}{ALIAS_SUFFIX}"


def text(**extra: Any) -> fields.TextField:
    """Folded text with a keyword sub-field for sorting and facets."""
    return fields.TextField(analyzer=folding, fields={"raw": fields.KeywordField()}, **extra)


def place() -> fields.KeywordField:
    """A location or venue: filtered case-insensitively, searched through ``search.text``."""
    return fields.KeywordField(fields={"folded": fields.KeywordField(normalizer=folded_keyword)})


def code(**extra: Any) -> fields.KeywordField:
    """A code as written (facets), case-insensitively (filters), by prefix ("cm" → CM1)."""
    return fields.KeywordField(
        fields={
            "folded": fields.KeywordField(normalizer=folded_keyword),
            "prefix": fields.TextField(analyzer=prefix, search_analyzer=folding),
        },
        **extra,
    )


# Sessions and events are many (several per tutorial document, each a nested Lucene
# document): their strings are plain keywords, cheap to index; text search reaches
# their places through ``search.text``.


def amount() -> fields.ScaledFloatField:
    # Amounts are strings with two decimals in _source; scaled_float keeps them exact.
    return fields.ScaledFloatField(scaling_factor=100)


SESSION = fields.NestedField(
    properties={
        "id": fields.LongField(),
        "title": fields.KeywordField(),
        "location": fields.KeywordField(),
        "venue": fields.KeywordField(),
        "start_date": fields.DateField(),
        "end_date": fields.DateField(),
        "sequence": fields.IntegerField(),
        "url": fields.KeywordField(index=False),
    }
)

EVENT = fields.NestedField(
    properties={
        "id": fields.LongField(),
        "code": fields.KeywordField(),
        "title": fields.KeywordField(),
        "venue": place(),
        "location": place(),
        "is_soldout": fields.BooleanField(),
        "remain_space": fields.IntegerField(),
        "finalisation_date": fields.DateField(),
        "start_date": fields.DateField(),
        "end_date": fields.DateField(),
        "price": amount(),
        "sessions": SESSION,
    }
)

PRICES = fields.ObjectField(
    properties={
        "id": fields.LongField(),
        "price_type": fields.KeywordField(),
        "amount": amount(),
        "currency": fields.KeywordField(),
    }
)

VARIATION = fields.ObjectField(
    properties={
        "id": fields.LongField(),
        "store_product_id": fields.LongField(),
        "product_code": fields.KeywordField(),
        "variation_type": fields.KeywordField(),
        "name": fields.KeywordField(),
        "description": text(),
        "description_short": text(),
        "prices": PRICES,
        "events": EVENT,
    }
)

SEARCH = fields.ObjectField(
    properties={
        "row_key": fields.KeywordField(),
        "categories": fields.KeywordField(),
        "product_types": fields.KeywordField(),
        "group_keys": fields.KeywordField(),
        "group_ids": fields.LongField(),
        "modes_of_delivery": fields.KeywordField(
            fields={"folded": fields.KeywordField(normalizer=folded_keyword)}
        ),
        "codes": code(),
        "code_keys": fields.KeywordField(),
        "kind": fields.KeywordField(),
        "subject_type": fields.KeywordField(),
        # Every group of the product with its ancestors, by name: product-group filters.
        "group_names": fields.KeywordField(),
        "tutorial_format": fields.KeywordField(),
        "tutorial_location": fields.KeywordField(),
        "marking_template": fields.KeywordField(),
        "text": fields.TextField(
            analyzer=folding,
            fields={"prefix": fields.TextField(analyzer=prefix, search_analyzer=folding)},
        ),
        "standard_price": amount(),
        "earliest_event": fields.DateField(),
        # Compared by ``search_index check`` (``search_index.content_hash``); never searched.
        "content_hash": fields.KeywordField(index=False),
        "source_hash": fields.KeywordField(index=False),
    }
)


@registry.register_document
class StoreProductDocument(Document):
    id = fields.LongField()
    essp_id = fields.LongField()
    store_product_id = fields.LongField()
    kind = fields.KeywordField()
    type = fields.KeywordField()
    product_id = fields.LongField()
    product_code = code()
    product_name = text()
    product_short_name = text()
    product_description = fields.TextField(analyzer=folding)
    buy_both = fields.BooleanField()
    subject_id = fields.LongField()
    subject_code = code()
    subject_description = text()
    exam_session_id = fields.LongField()
    exam_session_code = fields.KeywordField()
    # Preview fields of tutorial and marking rows (``search_index.row_kinds``).
    prices = PRICES
    format = fields.KeywordField()
    format_display = fields.KeywordField()
    tutorial_location_name = fields.KeywordField()
    tutorial_location_code = fields.KeywordField()
    marking_template_name = fields.KeywordField()
    marking_template_code = fields.KeywordField()
    variations = VARIATION
    search = SEARCH

    class Index:
        # A label for django-opensearch-dsl's registry, fixed when this module is
        # imported. Nothing reads it: the document's own methods below, and every index
        # operation of ours, ask ``alias_name()`` when they run, and the settings of a new
        # index come from ``index_settings()`` when it is created.
        name = ALIAS_SUFFIX

    class Django:
        model = StoreProduct

    @classmethod
    def _default_index(cls, index: str | None = None) -> str:
        return index or alias_name()

    def _get_index(self, index: str | None = None, required: bool = True) -> str:
        return super()._get_index(index or alias_name(), required)

    def _prepare_action(self, object_instance: StoreProduct, action: Any) -> dict[str, Any]:
        return {**super()._prepare_action(object_instance, action), "_index": alias_name()}

    def get_queryset(
        self,
        filter_: Q | None = None,
        exclude: Q | None = None,
        count: int | None = None,
        alias: str | None = None,
    ) -> QuerySet[StoreProduct]:
        """What the index holds (``indexable_store_products``), as django-opensearch-dsl
        asks for it."""
        queryset = indexable_store_products().using(alias)
        if filter_:
            queryset = queryset.filter(filter_)
        if exclude:
            queryset = queryset.exclude(exclude)
        return queryset if count is None else queryset[:count]

    def prepare(self, instance: StoreProduct) -> dict[str, Any]:
        """django-opensearch-dsl's own path: one instance at a time, so its relations are
        loaded per instance (six queries each); ``search_index rebuild`` loads them per
        batch instead. Same document either way."""
        if not hasattr(self, "_group_tree"):
            self._group_tree = GroupTree.load()
        [(_, document)] = build_documents(
            StoreProduct.objects.filter(pk=instance.pk), self._group_tree
        )
        return document


def index_settings() -> dict[str, Any]:
    """The configured settings of a new index, read now rather than at import."""
    return {
        "number_of_shards": search_setting("SHARDS"),
        "number_of_replicas": search_setting("REPLICAS"),
        "refresh_interval": search_setting("REFRESH_INTERVAL"),
    }


def index_body() -> dict[str, Any]:
    """Settings and mappings for a new versioned index, with the mapping version recorded."""
    body = StoreProductDocument._index.to_dict()
    body["settings"] = {**body.get("settings", {}), **index_settings()}
    body.setdefault("mappings", {})["_meta"] = {"mapping_version": MAPPING_VERSION}
    body["mappings"]["dynamic"] = "strict"
    body["mappings"]["_source"] = {"excludes": UNSTORED_FIELDS}
    return body
