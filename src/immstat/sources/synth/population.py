"""The simulated population: one set of anonymised persons moving encounter → detainer → arrest →
book-in → book-out → removal, generated month by month in bounded chunks.

:class:`Simulation` yields, per chunk, a dict ``kind → Events`` (numpy arrays of integer codes and
epoch days, ``-1`` = blank). Person attributes are a pure function of the person id, so a person
looks the same in every chunk and every file. Events after the release date are censored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from immstat.sources.synth import calibration as cal
from immstat.sources.synth import labels as lab
from immstat.sources.synth.timeline import Chunk, Timeline, split_exact

Events = dict[str, np.ndarray]
KINDS = ("arrests", "detainers", "encounters", "detention_stints", "removals")
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def mix64(x: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 of ``x ^ salt``: a stateless hash, so person traits never need storing."""
    z = (x.astype(np.uint64) ^ np.uint64(salt)) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _uniform(x: np.ndarray, salt: int) -> np.ndarray:
    return (mix64(x, salt) >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def _pick(u: np.ndarray, weights) -> np.ndarray:
    """Index of the category each uniform ``u`` falls in, for fixed ``weights``."""
    cum = np.cumsum(np.asarray(weights, dtype=np.float64))
    return np.searchsorted(cum / cum[-1], u, side="right").clip(0, len(cum) - 1)


@dataclass
class Persons:
    """Traits fixed for life, derived from the person id."""

    seed: int

    def traits(self, pid: np.ndarray) -> Events:
        cit = _pick(_uniform(pid, self.seed * 7 + 1), list(cal.CITIZENSHIP.values()))
        gender = _pick(_uniform(pid, self.seed * 7 + 2), list(cal.GENDER.values()))
        u1, u2 = _uniform(pid, self.seed * 7 + 3), _uniform(pid, self.seed * 7 + 4)
        normal = np.sqrt(-2 * np.log1p(-u1)) * np.cos(2 * np.pi * u2)
        age = np.clip(cal.AGE_MEAN + cal.AGE_SD * normal, cal.AGE_MIN, cal.AGE_MAX)
        return {"pid": pid, "cit": cit, "gender": gender, "byear": (2025 - age).astype(np.int64)}


class Simulation:
    """Arrests per (fiscal year, month) are fixed by :class:`Timeline`; everything else follows."""

    def __init__(self, timeline: Timeline, seed: int):
        self.t = timeline
        self.seed = seed
        self.persons = Persons(seed)
        self.next_pid = 1
        self.pool_pid = np.zeros(0, np.uint64)
        self.pool_free = np.zeros(0, np.int64)
        self._jail_methods = np.array([m in cal.JAIL_METHODS for m in cal.METHODS])
        self._cap = np.array([m.startswith("CAP ") for m in cal.METHODS])
        self._program = np.array([lab.PROGRAM_LABELS.index(v[2]) for v in cal.METHODS.values()])
        self._book_p = np.array([v[3] for v in cal.METHODS.values()])

    def chunks(self) -> Iterator[tuple[Chunk, dict[str, Events]]]:
        for chunk in self.t.chunks():
            rng = np.random.default_rng([self.seed, chunk.index])
            yield chunk, self._chunk(rng, chunk.first, chunk.last, chunk.arrests - chunk.duplicates)

    # ------------------------------------------------------------------ one chunk
    def _chunk(self, rng, first: int, last: int, n: int) -> dict[str, Events]:
        day = np.sort(rng.integers(first, last + 1, n))
        pid = self._persons(rng, day)
        arrest = {**self.persons.traits(pid), "date": day}
        arrest["aor"] = _pick(rng.random(n), list(cal.AOR_SHARES.values()))
        arrest["state"] = self._state(rng, arrest["aor"])
        arrest["crim"] = self._criminality(rng, day)
        method = np.where(arrest["crim"] < 2,
                          _pick(rng.random(n), [v[0] for v in cal.METHODS.values()]),
                          _pick(rng.random(n), [v[1] for v in cal.METHODS.values()]))
        arrest["program"] = self._program[method]
        relabel = self._cap[method] & (day >= self.t.day(cal.CUSTODIAL_RELABEL))
        arrest["method"] = np.where(relabel, len(lab.METHOD_LABELS) - 1, method)
        arrest["threat"] = np.where(arrest["crim"] == 0, rng.integers(0, 3, n), -1)
        out = {"arrests": arrest}
        stints, fate = self._detention(rng, arrest, method)
        self._case(rng, arrest, fate)
        out["detention_stints"] = _attach(stints, arrest)
        out["removals"] = self._removals(arrest, fate)
        out["encounters"] = self._encounters(rng, arrest, method)
        out["detainers"] = self._detainers(rng, arrest, method)
        self._remember(rng, arrest, fate)
        return {k: self.t.within(v) for k, v in out.items()}

    def _persons(self, rng, day: np.ndarray) -> np.ndarray:
        n = len(day)
        pid = np.zeros(n, np.uint64)
        repeat = rng.random(n) < cal.REPEAT_SHARE
        order = np.argsort(self.pool_free, kind="stable")
        free_sorted = self.pool_free[order]
        count = np.searchsorted(free_sorted, day[repeat], side="left")
        pick = (rng.random(int(repeat.sum())) * count).astype(np.int64)
        ok = count > 0
        _, first = np.unique(np.where(ok, pick, -1 - np.arange(len(pick))), return_index=True)
        ok &= np.isin(np.arange(len(pick)), first)
        slots = np.flatnonzero(repeat)
        pid[slots[ok]] = self.pool_pid[order[pick[ok]]]
        if ok.any():  # a re-arrested person leaves the pool until this episode ends
            keep = np.ones(len(self.pool_pid), bool)
            keep[order[pick[ok]]] = False
            self.pool_pid, self.pool_free = self.pool_pid[keep], self.pool_free[keep]
        new = pid == 0
        pid[new] = self._new_pids(int(new.sum()))
        return pid

    def _new_pids(self, n: int) -> np.ndarray:
        out = np.arange(self.next_pid, self.next_pid + n, dtype=np.uint64)
        self.next_pid += n
        return out

    def _state(self, rng, aor: np.ndarray) -> np.ndarray:
        flat, offsets, lengths = lab.state_table()
        k = (rng.random(len(aor)) * lengths[aor]).astype(np.int64)
        return flat[offsets[aor] + k]

    def _criminality(self, rng, day: np.ndarray) -> np.ndarray:
        start = self.t.day(cal.POLICY_CHANGE)
        w = np.clip((day - start) / 180.0, 0.0, 1.0)[:, None]
        p = (1 - w) * np.array(cal.CRIMINALITY_BEFORE) + w * np.array(cal.CRIMINALITY_AFTER)
        cum = np.cumsum(p, axis=1)
        return (rng.random(len(day))[:, None] > cum[:, :2]).sum(axis=1)

    # ------------------------------------------------------------------ detention
    def _detention(self, rng, a: Events, method: np.ndarray) -> tuple[Events, Events]:
        n, release = len(a["date"]), self.t.release
        booked = rng.random(n) < self._book_p[method]
        book_in = a["date"] + _pick(rng.random(n), (0.6, 0.3, 0.1))
        los = np.minimum(np.ceil(rng.lognormal(cal.LOS_LOG_MEAN, cal.LOS_LOG_SD, n)), cal.LOS_MAX)
        book_out = book_in + los.astype(np.int64)
        removed = booked & (rng.random(n) < np.array(cal.REMOVED_IF_DETAINED)[a["crim"]])
        departed = np.where(removed, book_out, -1)
        later = ~booked & (rng.random(n) < cal.REMOVED_IF_NOT_DETAINED)
        departed = np.where(later, a["date"] + rng.integers(60, 400, n), departed)
        departed = np.where(departed > release, -1, departed)
        out_known = np.where(book_out > release, -1, book_out)
        site = _pick(rng.random(n), (30, 22, 16, 12, 10, 10))
        fac1 = lab.facility_index(a["aor"], site)
        transfer = booked & (rng.random(n) < cal.TRANSFER_SHARE) & (los >= 2)
        split = book_in + 1 + (rng.random(n) * (los - 1)).astype(np.int64)
        hubs = np.array([lab.AOR_CODES.index(h) for h in cal.TRANSFER_HUBS])
        hub = hubs[rng.integers(0, len(hubs), n)]
        aor2 = np.where(rng.random(n) < 0.5, hub, a["aor"])
        fac2 = lab.facility_index(aor2, (site + 1 + rng.integers(0, 5, n)) % cal.FACILITIES_PER_AOR)
        reason = np.where(removed, 0, 2 + _pick(rng.random(n), list(cal.RELEASE_REASONS.values())))
        final_reason = np.where(out_known < 0, -1, reason)  # removed from detention: out = departed
        removed &= departed >= 0
        minute = rng.integers(0, 1440, n)
        first_end = np.where(transfer, split, out_known)
        first_end = np.where(first_end > release, -1, first_end)
        first = {"date": book_in, "in_min": minute, "out": first_end, "facility": fac1,
                 "release": np.where(transfer & (first_end >= 0), 1, final_reason)}
        second = {"date": split, "in_min": out_minute(split) + 240, "out": out_known,
                  "facility": fac2, "release": final_reason}
        stay = {"stay_in": book_in, "stay_in_min": minute, "stay_out": out_known,
                "stay_release": final_reason}
        stints = self._stints(booked, first, booked & transfer & (split <= release), second, stay)
        fate = {"booked": booked, "removed": removed | (later & (departed >= 0)),
                "departed": departed, "book_out": out_known}
        return stints, fate

    def _stints(self, booked, first, has_second, second, stay) -> Events:
        parts = []
        for mask, stint in ((booked, first), (has_second, second)):
            rows = {k: v[mask] for k, v in {**stint, **stay}.items()}
            rows["arrest_row"] = np.flatnonzero(mask)
            parts.append(rows)
        out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        out["aor"] = lab.facilities()[1][out["facility"]]
        order = np.argsort(out["date"] * 1440 + out["in_min"], kind="stable")
        return {k: v[order] for k, v in out.items()}

    # ------------------------------------------------------------------ case snapshot
    def _case(self, rng, a: Events, fate: Events) -> None:
        n, removed = len(a["date"]), fate["removed"]
        a["departed"] = np.where(removed, fate["departed"], -1)
        a["departure_cit"] = np.where(removed, a["cit"], -1)
        other_order = (rng.random(n) < 0.25) & ~removed
        order_day = np.where(removed, fate["departed"] - rng.integers(1, 60, n),
                             a["date"] + rng.integers(0, 120, n))
        a["final_order"] = (removed | (other_order & (order_day <= self.t.release))).astype(np.int64)
        a["final_order_date"] = np.where(a["final_order"] == 1, order_day, -1)
        a["status"] = removed.astype(np.int64)
        n_rem = len(cal.REMOVAL_CASE_CATEGORY)
        a["category"] = np.where(removed,
                                 _pick(rng.random(n), list(cal.REMOVAL_CASE_CATEGORY.values())),
                                 n_rem + _pick(rng.random(n), list(cal.OPEN_CASE_CATEGORY.values())))
        a["msc"] = np.where(a["crim"] == 0, rng.integers(0, len(lab.MSC_LABELS), n), -1)

    def border_removals(self, rng, fy: int, n: int) -> Iterator[Events]:
        """``n`` removals in ``fy`` of people never arrested in the interior (see calibration),
        month by month in the seasonal proportions."""
        months = self.t.months(fy)
        for (first, last, _), k in zip(months, split_exact(n, [m[2] for m in months])):
            k = int(k)
            if k == 0:
                continue
            day = np.sort(rng.integers(first, last + 1, k))
            ev = {**self.persons.traits(self._new_pids(k)), "date": day}
            ev["aor"] = _pick(rng.random(k), list(cal.AOR_SHARES.values()))
            ev["state"] = self._state(rng, ev["aor"])
            ev["crim"] = _pick(rng.random(k), cal.BORDER_CRIMINALITY)
            ev["program"] = np.full(k, -1)
            ev["threat"] = np.where(ev["crim"] == 0, rng.integers(0, 3, k), -1)
            ev["msc"] = np.where(ev["crim"] == 0, rng.integers(0, len(lab.MSC_LABELS), k), -1)
            ev["appr_date"] = day - rng.integers(0, cal.BORDER_LAG_DAYS + 1, k)
            ev["departed"], ev["departure_cit"] = day, ev["cit"]
            ev["status"] = np.ones(k, np.int64)
            ev["category"] = _pick(rng.random(k), [cal.BORDER_CASE_CATEGORY.get(c, 0.0)
                                                   for c in cal.REMOVAL_CASE_CATEGORY])
            ev["final_order"] = np.ones(k, np.int64)
            ev["final_order_date"] = day - rng.integers(1, 30, k)
            yield self.t.within(ev)

    def _removals(self, a: Events, fate: Events) -> Events:
        mask = fate["removed"]
        out = {k: v[mask] for k, v in a.items()}
        out["appr_date"], out["date"] = out["date"], out["departed"]
        return out

    # ------------------------------------------------------------------ before the arrest
    def _encounters(self, rng, a: Events, method: np.ndarray) -> Events:
        n = len(a["date"])
        lag = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 31, n))
        linked = {**a, "date": a["date"] - lag, "event": method}
        extra = self._strangers(rng, a, cal.ENCOUNTER_EXTRA)
        extra["event"] = _pick(rng.random(len(extra["date"])),
                               [v[1] for v in cal.METHODS.values()])
        extra["program"] = self._program[extra["event"]]
        return _stack(linked, extra)

    def _detainers(self, rng, a: Events, method: np.ndarray) -> Events:
        jail = self._jail_methods[method]
        has = jail & (rng.random(len(jail)) < cal.DETAINER_SHARE)
        lag = 1 + np.minimum(rng.lognormal(2.5, 0.9, len(jail)).astype(np.int64), 180)
        linked = {k: v[has] for k, v in a.items()}
        linked["appr_date"], linked["date"] = linked["date"], (a["date"] - lag)[has]
        linked["lift"] = np.full(int(has.sum()), -1)
        linked["method"] = a["method"][has]
        extra = self._strangers(rng, {k: v[jail] for k, v in a.items()}, cal.DETAINER_EXTRA)
        m = len(extra["date"])
        extra["lift"] = np.where(rng.random(m) < 0.8, rng.integers(0, 3, m), -1)
        extra["appr_date"] = np.full(m, -1)
        extra["method"] = np.full(m, -1)
        out = _stack(linked, extra)
        out["facility"] = lab.facility_index(out["aor"], cal.FACILITIES_PER_AOR
                                             + (out["pid"] % np.uint64(4)).astype(np.int64))
        out["state"] = lab.facilities()[2][out["facility"]]
        return out

    def _strangers(self, rng, like: Events, rate: float) -> Events:
        """Events of persons never arrested (in this chunk): same fields as ``like``."""
        m = int(rng.binomial(len(like["date"]), rate)) if len(like["date"]) else 0
        src = rng.integers(0, max(len(like["date"]), 1), m)
        out = {k: v[src] for k, v in like.items()}
        out.update(self.persons.traits(self._new_pids(m)))
        out["aor"] = _pick(rng.random(m), list(cal.AOR_SHARES.values()))
        out["state"] = self._state(rng, out["aor"])
        for key in ("departed", "departure_cit", "final_order_date", "msc"):
            out[key] = np.full(m, -1)
        out["final_order"] = np.zeros(m, np.int64)
        out["status"] = np.zeros(m, np.int64)
        out["category"] = len(cal.REMOVAL_CASE_CATEGORY) + _pick(
            rng.random(m), list(cal.OPEN_CASE_CATEGORY.values()))
        return out

    # ------------------------------------------------------------------ who can be re-arrested
    def _remember(self, rng, a: Events, fate: Events) -> None:
        n = len(a["date"])
        free = np.where(fate["booked"], np.where(fate["book_out"] >= 0, fate["book_out"] + 1,
                                                 self.t.release + 1), a["date"] + 30)
        free = np.where(fate["removed"], fate["departed"] + rng.integers(*cal.REENTRY_DAYS, n), free)
        pid = np.concatenate([self.pool_pid, a["pid"]])
        when = np.concatenate([self.pool_free, free])
        live = when <= self.t.release
        self.pool_pid, self.pool_free = pid[live][-3_000_000:], when[live][-3_000_000:]


def out_minute(day: np.ndarray) -> np.ndarray:
    """Minute of the day a book-out on ``day`` happens (before 10:00, so same-day book-ins fit)."""
    return (97 * day) % 600


def _attach(stints: Events, arrest: Events) -> Events:
    """Person and case fields of each stint's arrest."""
    rows = stints.pop("arrest_row")
    for key in ("pid", "cit", "gender", "byear", "crim", "program", "threat", "status", "category",
                "final_order", "final_order_date", "departed", "departure_cit"):
        stints[key] = arrest[key][rows]
    return stints


def _stack(*parts: Events) -> Events:
    keys = [k for k in parts[0] if all(k in p for p in parts)]
    out = {k: np.concatenate([p[k] for p in parts]) for k in keys}
    order = np.argsort(out["date"], kind="stable")
    return {k: v[order] for k, v in out.items()}
