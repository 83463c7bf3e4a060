"""The desk's banner for printers that went silent (issue 20 item 7): one line per device in alert.

The hub sends ``device.alert`` once per outage (kiosk.hub.fleet) and again with ``active: false`` when
the printer is back; the banner shows every device still out and hides itself when none is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

_WHAT = {
    "paper_out": "프린터 용지가 {m}분째 없어요",
    "cover_open": "프린터 덮개가 {m}분째 열려 있어요",
    "offline": "프린터가 {m}분째 응답하지 않아요",
}


def alert_text(data: dict[str, Any]) -> str:
    """ "1번 키오스크 프린터 용지가 10분째 없어요" — the device's label, what is wrong, for how long."""
    label = str(data.get("label") or "") or f"기기 {str(data.get('device_id', ''))[:8]}"
    printer = str(data.get("printer", ""))
    try:
        minutes = max(int(data.get("minutes") or 0), 0)
    except (TypeError, ValueError):
        minutes = 0
    what = _WHAT.get(printer, "프린터에 문제가 {m}분째 있어요").format(m=minutes)
    return f"🖨 {label} {what}"


class FleetBanner(QLabel):
    """A visible strip above the desk's work area while any printer alert lasts."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("fleetBanner")
        self.setWordWrap(True)
        self.setStyleSheet("QLabel#fleetBanner { background: #b3261e; color: white; padding: 6px; }")
        self.setAccessibleName("기기 알림 (device alerts)")
        self._alerts: dict[str, str] = {}
        self.hide()

    def on_alert(self, data: dict[str, Any]) -> None:
        device = str(data.get("device_id", ""))
        if data.get("active", True):
            self._alerts[device] = alert_text(data)
        else:
            self._alerts.pop(device, None)
        self.setText("\n".join(self._alerts[d] for d in sorted(self._alerts)))
        self.setVisible(bool(self._alerts))

    @property
    def alerts(self) -> list[str]:
        return [self._alerts[d] for d in sorted(self._alerts)]
