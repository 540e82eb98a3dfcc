"""Finding a store product the way an editor names it: "cm2 london", "CB1 live online".

The admin's word-by-word search (every word must match one of the fields below) finds
the candidates; the ranking puts the best-named first: a word that is the subject code,
then one that is the product's (location's) short name or code, then one in its full name,
and the newest sitting first among equals.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import CombinedExpression

from catalog.models import StoreProduct

STORE_PRODUCT_SEARCH_FIELDS = [
    "product_code",
    "exam_session_subject__subject__code",
    "exam_session_subject__subject__description",
    "exam_session_subject__exam_session__session_code",
    "product_product_variation__product__code",
    "product_product_variation__product__shortname",
    "product_product_variation__product__fullname",
    "product_product_variation__product_variation__code",
    "product_product_variation__product_variation__name",
    "product_product_variation__product_variation__description",
    "tutorial_events__location",
    "tutorial_events__venue",
]
# Words beyond this many only filter, they do not rank (keeps the query small).
MAX_RANKED_WORDS = 6

_SUBJECT_CODE = "exam_session_subject__subject__code__iexact"
_PRODUCT = "product_product_variation__product__"


def _points(condition: Q, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def rank_store_products(queryset: QuerySet[StoreProduct], search_term: str) -> QuerySet:
    """Order ``queryset`` (already filtered by ``search_term``) best match first."""
    words = search_term.split()[:MAX_RANKED_WORDS]
    if not words:
        return queryset
    score: Value | CombinedExpression = Value(0)
    for word in words:
        score = score + _points(Q(**{_SUBJECT_CODE: word}), 4)
        named = Q(**{f"{_PRODUCT}shortname__iexact": word}) | Q(**{f"{_PRODUCT}code__iexact": word})
        score = score + _points(named, 3)
        score = score + _points(Q(**{f"{_PRODUCT}fullname__icontains": word}), 1)
    return queryset.annotate(search_rank=score).order_by(
        "-search_rank", "-exam_session_subject__exam_session__start_date", "product_code"
    )
