"""The only place a number is defined: metric registry, query engine, suppression, Result."""

from immstat.metrics.dimensions import DIMENSIONS, GRAINS
from immstat.metrics.query import query
from immstat.metrics.registry import Metric, all_metrics, get_metric, register
from immstat.metrics.result import Result
from immstat.metrics.warehouse import Warehouse

__all__ = [
    "DIMENSIONS",
    "GRAINS",
    "Metric",
    "Result",
    "all_metrics",
    "get_metric",
    "query",
    "register",
    "Warehouse",
]
