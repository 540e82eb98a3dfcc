"""How a store product is named to an editor: its code alone does not say what it is."""

from __future__ import annotations

from catalog.models import StoreProduct

# What ``store_product_label`` reads, for ``select_related`` on a list of them.
STORE_PRODUCT_LABEL_RELATED = (
    "product_product_variation__product",
    "product_product_variation__product_variation",
)


def store_product_label(store_product: StoreProduct) -> str:
    """``CM2/TLONCM2_f2f_5/2025-09 · Tutorial - London · CM2 5-day face-to-face``."""
    pair = store_product.product_product_variation
    variation = pair.product_variation
    return " · ".join(
        part
        for part in (
            store_product.product_code,
            pair.product.fullname,
            variation.description or variation.name,
        )
        if part
    )
