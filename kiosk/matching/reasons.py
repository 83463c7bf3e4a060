"""Why one condition is met, not met or unknown: a ``Reason``, worded only when someone reads it."""

from __future__ import annotations

from typing import Any

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


class Reason:
    """Why one condition is met, not met or unknown. The wording is rendered on first use, so a
    verdict over 180 programs costs comparisons, not string formatting, until someone reads it."""

    __slots__ = ("_actual", "_en", "_ko", "_leaf", "_prefix", "_threshold", "confirm", "field", "status")

    def __init__(
        self,
        status: str,
        ko: str | None = None,
        en: str | None = None,
        field: str | None = None,
        confirm: str | None = None,
        *,
        leaf: Any = None,  # the Compare it words (not imported: conditions imports this module)
        actual: Any = None,
        threshold: float | None = None,
        prefix: tuple[str, str] | None = None,
    ) -> None:
        self.status, self.field, self.confirm = status, field, confirm
        self._ko, self._en = ko, en
        self._leaf, self._actual, self._threshold, self._prefix = leaf, actual, threshold, prefix

    def _render(self) -> None:
        if self._ko is None or self._en is None:
            assert self._leaf is not None
            self._ko, self._en = self._leaf.render(self.status, self._actual, self._threshold)
        if self._prefix:
            self._ko, self._en = self._prefix[0] + self._ko, self._prefix[1] + self._en
            self._prefix = None

    @property
    def ko(self) -> str:
        self._render()
        return self._ko  # type: ignore[return-value]

    @property
    def en(self) -> str:
        self._render()
        return self._en  # type: ignore[return-value]

    def negated(self, status: str) -> Reason:
        """The same reason under a ``not``: reported with the outer status and a prefix."""
        self._render()
        return Reason(
            status,
            self._ko,
            self._en,
            self.field,
            self.confirm,
            prefix=("해당하지 않아야 해요 — ", "must not hold — "),
        )

    def plain(self) -> tuple[str, str] | None:
        """The catalogue's sentence for this outcome (Korean, English), or None when it has none."""
        leaf = self._leaf
        if leaf is None or leaf.plain is None or self.status == UNKNOWN or self._prefix is not None:
            return None
        return leaf.plain.worded(self.status == MET, leaf.spec, self._actual)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ko": self.ko, "en": self.en, "status": self.status}
        if self.field:
            out["field"] = self.field
        if self.confirm:
            out["confirm"] = self.confirm
        plain = self.plain()
        if plain:
            out["plain"] = {"ko": plain[0], "en": plain[1]}
        return out

    def __repr__(self) -> str:
        return f"Reason({self.status!r}, {self.ko!r})"


# What evaluation appends: a finished Reason, or (leaf, status, actual, threshold) to be wrapped in a
# Reason only when someone reads it — creating 700 objects per applicant was a third of the time at 180.
RawReason = Any


def materialize(raw: list[RawReason]) -> list[Reason]:
    return [
        r if isinstance(r, Reason) else Reason(r[1], field=r[0].field, leaf=r[0], actual=r[2], threshold=r[3])
        for r in raw
    ]


__all__ = ["MET", "NOT_MET", "UNKNOWN", "RawReason", "Reason", "materialize"]
