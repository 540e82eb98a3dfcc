"""The catalog and the store: what is sold, in which sitting, at which price.

Tables live in the PostgreSQL schema ``acted``; ``db_table`` uses the quoted
``'"acted"."x"'`` form because a bare ``'acted.x'`` names a table in ``public``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models


def acted(table: str) -> str:
    return f'"acted"."{table}"'


class SubjectType(models.TextChoices):
    """Which examining body's exam a subject prepares for (the storefront's ``subject_type``)."""

    UK = "UK", "UK Exam"
    SA = "SA", "South African Exam"
    CAA = "CAA", "CAA Exam"
    PMS = "PMS", "PMS"


class Subject(models.Model):
    code = models.CharField("subject code", max_length=10, unique=True, help_text="e.g. CM2.")
    description = models.CharField(
        "name", max_length=255, help_text="The subject's full name, e.g. Financial Mathematics."
    )
    active = models.BooleanField(default=True, help_text="Inactive subjects are not sold.")
    subject_type = models.CharField(
        max_length=10,
        choices=SubjectType.choices,
        default=SubjectType.UK,
        help_text="The exam this subject prepares for; a storefront filter.",
    )

    class Meta:
        db_table = acted("subjects")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ExamSession(models.Model):
    session_code = models.CharField(
        "sitting",
        max_length=20,
        unique=True,
        help_text="Year and month of the exams, e.g. 2025-09.",
    )
    start_date = models.DateField("first exam day")
    end_date = models.DateField("last exam day")

    class Meta:
        db_table = acted("exam_sessions")
        ordering = ["start_date"]
        verbose_name = "exam sitting"

    def __str__(self) -> str:
        return self.session_code


class ExamSessionSubject(models.Model):
    exam_session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, verbose_name="sitting")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        db_table = acted("exam_session_subjects")
        verbose_name = "subject in a sitting"
        verbose_name_plural = "subjects in sittings"
        constraints = [
            models.UniqueConstraint(
                fields=["exam_session", "subject"],
                name="uniq_exam_session_subject",
                violation_error_message="This subject is already offered in this sitting.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_id and self.subject.code} {self.exam_session.session_code}"


class ProductGroup(models.Model):
    """A facet group; a product in a child group also counts under its ancestors."""

    name = models.CharField(max_length=100)
    code = models.CharField(max_length=50, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    display_order = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = acted("product_groups")
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """A catalog template; for tutorials it stands for the location (code LON)."""

    code = models.CharField(
        "product code",
        max_length=20,
        unique=True,
        help_text="e.g. CSM01; for a tutorial, its location's code, e.g. LON.",
    )
    fullname = models.CharField(
        "full name", max_length=255, help_text="e.g. Core Study Materials, or Tutorial - London."
    )
    shortname = models.CharField("short name", max_length=100, help_text="e.g. London.")
    description = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)
    buy_both = models.BooleanField(
        "sold as printed and eBook together", default=False, help_text="Offer both formats."
    )
    groups = models.ManyToManyField(
        ProductGroup, through="ProductGroupMembership", related_name="products", blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = acted("products")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.shortname}"


class ProductGroupMembership(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    product_group = models.ForeignKey(ProductGroup, on_delete=models.CASCADE)

    class Meta:
        db_table = acted("product_product_groups")
        verbose_name = "product in a group"
        verbose_name_plural = "products in groups"
        constraints = [
            models.UniqueConstraint(
                fields=["product", "product_group"],
                name="uniq_product_group_membership",
                violation_error_message="This product is already in this group.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_id} in {self.product_group_id}"


class VariationType(models.TextChoices):
    EBOOK = "eBook"
    HUB = "Hub"
    PRINTED = "Printed"
    MARKING = "Marking"
    TUTORIAL = "Tutorial"


class ProductVariation(models.Model):
    """A format: Printed, eBook, or for tutorials the format (``CM2_f2f_5``)."""

    variation_type = models.CharField(
        "kind", max_length=20, choices=VariationType.choices, help_text="Tutorial for events."
    )
    name = models.CharField(max_length=100)
    code = models.CharField(
        "format code", max_length=50, unique=True, help_text="e.g. P, C, or CM2_f2f_5."
    )
    description = models.CharField(
        max_length=255, blank=True, help_text="Shown to students, e.g. 5-day face-to-face."
    )
    description_short = models.CharField("short description", max_length=100, blank=True)

    class Meta:
        db_table = acted("product_variations")
        ordering = ["code"]
        verbose_name = "format"

    def __str__(self) -> str:
        return self.name


class ProductProductVariation(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    product_variation = models.ForeignKey(ProductVariation, on_delete=models.CASCADE)

    class Meta:
        db_table = acted("product_product_variations")
        verbose_name = "product format"
        verbose_name_plural = "product formats"
        constraints = [
            models.UniqueConstraint(
                fields=["product", "product_variation"],
                name="uniq_product_product_variation",
                violation_error_message="This product already has this format.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product.code} / {self.product_variation.code}"


# One letter per format in the generated store product code (CS1/PCSM01/2025-09).
VARIATION_CODE_LETTER = {
    VariationType.PRINTED: "P",
    VariationType.EBOOK: "C",
    VariationType.HUB: "H",
    VariationType.MARKING: "M",
    VariationType.TUTORIAL: "T",
}


def build_product_code(
    subject_code: str, session_code: str, product_code: str, variation: ProductVariation
) -> str:
    """``CS1/PCSM01/2025-09`` for material, ``CB1/TLONCB1_f2f_3/2025-04`` for tutorials."""
    letter = VARIATION_CODE_LETTER[VariationType(variation.variation_type)]
    suffix = variation.code if variation.variation_type == VariationType.TUTORIAL else ""
    return f"{subject_code}/{letter}{product_code}{suffix}/{session_code}"


class StoreProduct(models.Model):
    """What is sold: one product format in one exam session subject."""

    exam_session_subject = models.ForeignKey(
        ExamSessionSubject,
        on_delete=models.CASCADE,
        related_name="store_products",
        verbose_name="subject and sitting",
    )
    product_product_variation = models.ForeignKey(
        ProductProductVariation,
        on_delete=models.CASCADE,
        related_name="store_products",
        verbose_name="product and format",
    )
    product_code = models.CharField(
        max_length=100, unique=True, editable=False, help_text="Generated from the choices above."
    )
    is_active = models.BooleanField(
        "on sale", default=True, help_text="Only store products on sale appear in search."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        db_table = acted("store_products")
        constraints = [
            models.UniqueConstraint(
                fields=["exam_session_subject", "product_product_variation"],
                name="uniq_store_product",
                violation_error_message="This product format is already sold for this subject "
                "and sitting.",
            )
        ]

    def __str__(self) -> str:
        return self.product_code

    def save(self, *args: object, **kwargs: object) -> None:
        self.product_code = self.generate_product_code()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """The generated code must be free: two formats can share a code letter."""
        if not (self.exam_session_subject_id and self.product_product_variation_id):
            return
        code = self.generate_product_code()
        clash = StoreProduct.objects.filter(product_code=code).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(
                f"The generated product code {code} is already used by another store product."
            )

    def generate_product_code(self) -> str:
        essp = self.exam_session_subject
        ppv = self.product_product_variation
        return build_product_code(
            essp.subject.code,
            essp.exam_session.session_code,
            ppv.product.code,
            ppv.product_variation,
        )


class PriceType(models.TextChoices):
    STANDARD = "standard"
    RETAKER = "retaker"
    REDUCED = "reduced"
    ADDITIONAL = "additional"


class Price(models.Model):
    store_product = models.ForeignKey(StoreProduct, on_delete=models.CASCADE, related_name="prices")
    price_type = models.CharField(
        max_length=20, choices=PriceType.choices, default=PriceType.STANDARD
    )
    amount = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0, "A price cannot be negative.")],
    )
    currency = models.CharField(max_length=3, default="GBP")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        db_table = acted("prices")
        ordering = ["price_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["store_product", "price_type"],
                name="uniq_price_type",
                violation_error_message="This store product already has a price of this type.",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="price_amount_not_negative",
                violation_error_message="A price cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.price_type} {self.amount} {self.currency}"


# The storefront's facets are rows, not code: see ``catalog.filtering``.
from catalog.filtering import FilterConfiguration, FilterConfigurationGroup  # noqa: E402, F401
