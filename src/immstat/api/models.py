"""Pydantic response models: they make ``/openapi.json`` describe every answer exactly."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

Cell = str | int | float | bool | None


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    version: str = Field(examples=["0.1.0"])
    warehouse: str = Field(description="File name of the warehouse (no folders).",
                           examples=["immstat.duckdb"])
    sources: int = Field(description="Active (not superseded) source files.", examples=[3])
    synthetic: bool = Field(description="True if any active source holds synthetic data.",
                            examples=[True])


class MetricInfo(BaseModel):
    name: str = Field(examples=["arrests"])
    title: str = Field(examples=["ICE administrative arrests"])
    description: str
    unit: str = Field(examples=["arrests"])
    table: str = Field(examples=["arrests"])
    measure: str = Field(examples=["count"])
    date_column: str = Field(examples=["apprehension_date"])
    dimensions: list[str] = Field(examples=[["aor", "state", "criminality"]])
    record_derived: bool
    suppressed: bool = Field(description="True if counts 1–10 are suppressed (record-derived).")
    topic: str = Field(examples=["enforcement"])
    notes: list[str]
    mappable: bool


class SourceRef(BaseModel):
    source_id: int
    file: str = Field(examples=["arrests-synthetic.parquet"])
    kind: str = Field(examples=["ice_arrests"])
    sha256: str
    release_date: str | None = Field(examples=["2025-07-28"])
    synthetic: bool
    rows_loaded: int | None


class Filters(BaseModel):
    model_config = ConfigDict(extra="allow")
    where: dict[str, list[str]] = Field(examples=[{"aor": ["HOU"]}])
    from_: str | None = Field(None, alias="from", examples=["2024-10-01"])
    to: str | None = Field(None, examples=["2025-09-30"])
    fy: int | None = Field(None, examples=[2025])
    as_of: str | None = None


class QueryResult(BaseModel):
    """The shape of ``Result.to_dict()``: identical to ``immstat query --format json``."""

    metric: str = Field(examples=["arrests"])
    title: str
    unit: str
    record_derived: bool
    columns: list[str] = Field(examples=[["aor", "month", "value", "suppressed"]])
    rows: list[list[Cell]] = Field(examples=[[["HOU", "2024-10-01", 1234.0, False]]])
    suppressed: int = Field(description="Number of suppressed cells.", examples=[0])
    min_cell: int = Field(examples=[11])
    synthetic: bool
    sources: list[SourceRef]
    by: list[str]
    grain: str | None = Field(examples=["month"])
    filters: Filters
    engine: str = Field(examples=["duckdb"])
    notes: list[str]


class SourceInfo(BaseModel):
    source_id: int
    file_name: str = Field(examples=["facilities-daily.parquet"])
    kind: str
    dataset: str | None
    sha256: str
    release_date: str | None
    release_date_basis: str | None
    rows_in: int | None
    rows_loaded: int | None
    rows_rejected: int | None
    loaded_at: str | None
    immstat_version: str | None
    synthetic: bool
    record_level: bool
    licence: str | None
    tables: list[str]
    superseded_by: int | None
