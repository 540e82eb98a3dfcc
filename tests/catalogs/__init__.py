"""The catalogs tests search, one module per shape, each built by one shared fixture.

=================  ===================================  ====================================
module             shape                                fixture (``tests/conftest.py``)
=================  ===================================  ====================================
small              CM1, CM2 material; a Dublin tutorial ``small_catalog``,
                                                        ``indexed_small_catalog``
wider              small + London, CB1 2026-04, prices  ``indexed_wider_catalog``
client_contract    small + every row kind and format    ``indexed_client_catalog``
storefront_pages   two pages of CM2, seven locations    ``indexed_storefront_catalog``
=================  ===================================  ====================================
"""
