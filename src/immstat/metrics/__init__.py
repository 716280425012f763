"""The only place a number is defined: metric registry, query engine, suppression, Result."""

from .dimensions import DIMENSIONS, GRAINS
from .query import query
from .registry import Metric, all_metrics, get_metric, register
from .result import Result

__all__ = ["DIMENSIONS", "GRAINS", "Metric", "Result", "all_metrics", "get_metric", "query", "register"]
