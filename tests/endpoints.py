"""The paths the storefront calls, spelled as its client spells them (the contract)."""

UNIFIED = "/api/search/unified/"
FILTER_CONFIGURATION = "/api/products/filter-configuration/"
SEARCH_BOX = "/api/catalog/search/"
