"""Regions (district → subdistrict → area → grid), roads and buildings.

Coordinates are stored in WGS-84. Points are latitude/longitude decimals (6 places ≈ 0.1 m);
shapes are GeoJSON geometries whose coordinates are [lon, lat] as GeoJSON requires.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jiequ.core.models import TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet

from . import geo


class RegionLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    AREA = "area", _("Area")
    GRID = "grid", _("Grid")


# Which level may sit under which: the tree is district → subdistrict → area → grid.
PARENT_LEVEL = {
    RegionLevel.SUBDISTRICT: RegionLevel.DISTRICT,
    RegionLevel.AREA: RegionLevel.SUBDISTRICT,
    RegionLevel.GRID: RegionLevel.AREA,
}

LATITUDE_VALIDATORS = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]
LONGITUDE_VALIDATORS = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]


def latitude_field(**options: object) -> models.DecimalField:
    """WGS-84 latitude in degrees, to 6 places (about 0.1 m), as every located record keeps it."""
    return models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, validators=LATITUDE_VALIDATORS, **options
    )


def longitude_field(**options: object) -> models.DecimalField:
    """WGS-84 longitude in degrees, to 6 places."""
    return models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, validators=LONGITUDE_VALIDATORS, **options
    )


class Region(TimeStampedModel):
    name = models.CharField(_("name"), max_length=50)
    code = models.CharField(
        _("code"),
        max_length=20,
        help_text=_("Official code where one exists (静安区 310106); else a local code."),
    )
    level = models.CharField(_("level"), max_length=20, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # "/310106/310106011/01/0101/": everything inside a region is `path__startswith`.
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    # Bounding box of the boundary, so point-in-grid look-ups only test a few polygons.
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    scope_lookup = "path"
    scope_includes_ancestors = True

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "code"], name="region_code_unique_in_parent")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected = PARENT_LEVEL.get(self.level)
        if expected is None and self.parent is not None:
            raise ValidationError({"parent": _("A district has no parent region.")})
        if expected is not None and (self.parent is None or self.parent.level != expected):
            raise ValidationError(
                {
                    "parent": _("A %(level)s must sit inside a %(parent)s.")
                    % {"level": self.get_level_display(), "parent": RegionLevel(expected).label}
                }
            )
        if self.boundary is not None:
            try:
                geo.shape_of(self.boundary)
            except ValueError as exc:
                raise ValidationError({"boundary": str(exc)}) from exc

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.code}/"

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        self.path = self.compute_path()
        bbox = geo.bbox_of(self.boundary) if self.boundary else None
        self.min_lat, self.min_lon, self.max_lat, self.max_lon = bbox or (None,) * 4
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # Re-root the subtree so path look-ups stay true after a move or a new code.
                for child in Region.objects.filter(parent=self):
                    child.save()
                if self.level in (RegionLevel.AREA, RegionLevel.GRID):
                    Building.objects.filter(region__path__startswith=self.path).update(
                        subdistrict=self.subdistrict
                    )

    def get_absolute_url(self) -> str:
        return reverse("areas:map")

    def ancestors(self) -> models.QuerySet:
        from jiequ.core.scoping import ancestor_paths

        return Region.objects.filter(path__in=ancestor_paths(self.path))

    def descendants(self, include_self: bool = False) -> models.QuerySet:
        qs = Region.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    @property
    def subdistrict(self) -> "Region | None":
        if self.level == RegionLevel.SUBDISTRICT:
            return self
        if self.level in (RegionLevel.AREA, RegionLevel.GRID):
            return self.ancestors().filter(level=RegionLevel.SUBDISTRICT).first()
        return None


class Road(TimeStampedModel):
    name = models.CharField(_("name"), max_length=50)
    subdistrict = models.ForeignKey(
        Region,
        verbose_name=_("subdistrict"),
        on_delete=models.PROTECT,
        related_name="roads",
        limit_choices_to={"level": RegionLevel.SUBDISTRICT},
    )
    line = models.JSONField(_("line"), null=True, blank=True, help_text=_("GeoJSON LineString"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    scope_lookup = "subdistrict__path"
    scope_includes_ancestors = True

    class Meta:
        verbose_name = _("road")
        verbose_name_plural = _("roads")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "name"], name="road_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class BuildingKind(models.TextChoices):
    OFFICE = "office", _("Office building")
    COMMERCIAL = "commercial", _("Commercial complex")
    MIXED = "mixed", _("Mixed use")
    PARK = "park", _("Industrial or creative park")
    OTHER = "other", _("Other")


class Building(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=20, choices=BuildingKind.choices, default=BuildingKind.OFFICE
    )
    road = models.ForeignKey(
        Road,
        verbose_name=_("road"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="buildings",
    )
    number = models.CharField(_("street number"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200)
    floors = models.PositiveSmallIntegerField(
        _("floors"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    lat = latitude_field()
    lon = longitude_field()
    region = models.ForeignKey(
        Region,
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="buildings",
        help_text=_("Found from the point."),
    )
    # Kept beside the grid so a name is unique within its subdistrict.
    subdistrict = models.ForeignKey(
        Region,
        verbose_name=_("subdistrict"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    scope_lookup = "region__path"

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "name"], name="building_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.subdistrict = self.region.subdistrict or self.region
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("areas:building_detail", args=[self.pk])
