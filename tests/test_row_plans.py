"""facts.api.row_plans writes a row as DRF's own path does, the edge cases included: a value
through a missing relation, a method to call, a dict for a row, a nested row that is null."""

from types import SimpleNamespace

from rest_framework import serializers

from facts.api.row_plans import PlannedOutput


class Nested(serializers.Serializer):
    name = serializers.CharField()


class Shape(serializers.Serializer):
    # Read only, as every output field is (facts.api.serializers.Output).
    plain = serializers.IntegerField(read_only=True)
    through = serializers.CharField(source="related.name", read_only=True)
    through_or_null = serializers.CharField(source="related.name", allow_null=True, read_only=True)
    through_or_default = serializers.CharField(
        source="related.name", default="none", read_only=True
    )
    called = serializers.CharField(source="shown", read_only=True)
    nested = Nested(source="related", allow_null=True, read_only=True)
    whole = Nested(source="*", read_only=True)
    method = serializers.SerializerMethodField()
    when = serializers.DateTimeField(read_only=True)

    def get_method(self, row) -> str:
        return f"<{row['name'] if isinstance(row, dict) else row.name}>"


class PlannedShape(PlannedOutput, Shape):
    pass


def rows() -> list:
    import datetime as dt

    when = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    related = SimpleNamespace(name="Kremlin")
    return [
        SimpleNamespace(plain=3, related=related, name="a", shown=lambda: "~30,000", when=when),
        SimpleNamespace(plain=4, related=None, name="b", shown=lambda: "stay", when=None),
        {"plain": 5, "related": {"name": "TASS"}, "name": "c", "shown": "x", "when": when},
    ]


def test_it_writes_each_row_as_drfs_own_serializer_does():
    for row in rows():
        assert PlannedShape(row).data == Shape(row).data


def test_it_leaves_out_a_field_drf_leaves_out_and_keeps_its_defaults_and_nulls():
    shown = PlannedShape(rows()[1]).data
    assert "through" not in shown
    assert shown["through_or_null"] is None
    assert shown["through_or_default"] == "none"
    assert shown["nested"] is None


def test_it_writes_a_page_of_rows_as_drf_does():
    page = rows()[:2]
    assert PlannedShape(page, many=True).data == Shape(page, many=True).data
