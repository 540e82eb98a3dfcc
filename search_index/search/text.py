"""The text query: exact codes first, typos tolerated, prefixes matched."""

from __future__ import annotations

from typing import Any

from search_index.codes import code_key

# Terms of up to 3 characters (codes such as CM2) must match exactly; "cm2" must not
# also find CM1. Longer words tolerate one typo from 4 characters, two from 7.
FUZZINESS = "AUTO:4,7"
EXACT_CODE_BOOST = 10.0
PREFIX_BOOST = 0.5
# A pasted code (the whole query, separators ignored) names one product: it outranks any
# text match, whose scores stay well below this.
PASTED_CODE_BOOST = 100.0


def text_query(query: str) -> dict[str, Any]:
    words = query.split()
    exact_codes = [
        {"terms": {field: [word.lower() for word in words], "boost": EXACT_CODE_BOOST}}
        for field in ("subject_code.folded", "product_code.folded", "search.codes.folded")
    ]
    return {
        "bool": {
            "must": [
                {
                    "bool": {
                        "should": [
                            {
                                "match": {
                                    "search.text": {
                                        "query": query,
                                        "operator": "and",
                                        "fuzziness": FUZZINESS,
                                        "prefix_length": 1,
                                    }
                                }
                            },
                            {
                                "match": {
                                    "search.text.prefix": {
                                        "query": query,
                                        "operator": "and",
                                        "boost": PREFIX_BOOST,
                                    }
                                }
                            },
                            {
                                "term": {
                                    "search.code_keys": {
                                        "value": code_key(query),
                                        "boost": PASTED_CODE_BOOST,
                                    }
                                }
                            },
                        ],
                        "minimum_should_match": 1,
                    }
                }
            ],
            "should": exact_codes,
        }
    }
