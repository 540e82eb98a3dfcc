"""Analyzers: case- and accent-folding text, edge n-grams for prefixes, folded keywords."""

from opensearchpy import analyzer, normalizer, token_filter

edge_ngram_filter = token_filter("prefix_edge_ngram", type="edge_ngram", min_gram=1, max_gram=12)

# "Café" matches "cafe", "LONDON" matches "london".
folding = analyzer("folding", tokenizer="standard", filter=["lowercase", "asciifolding"])

# Indexes every prefix of every word, so "cm" finds CM1 and CM2 and "lond" finds London.
# Searched with ``folding`` so the query itself is not cut into prefixes.
prefix = analyzer(
    "prefix",
    tokenizer="standard",
    filter=["lowercase", "asciifolding", edge_ngram_filter],
)

# Keywords compared case-insensitively (codes, modes of delivery).
folded_keyword = normalizer("folded_keyword", filter=["lowercase", "asciifolding"])
