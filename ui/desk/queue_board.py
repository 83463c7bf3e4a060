"""The desk's queue board: per line, who waits in calling order, what each did, and their wait.

Each row says whether the person did the intake at a kiosk or only took a number, and rings when their
kiosk calls for staff (직원 호출). The wait is the hub's one rule (kiosk.queue.waits): people ahead ×
the line's pace, the same number and the same words the lobby showed and printed on the ticket.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from kiosk.api import QueueOut
from kiosk.api.tickets import QueueTicket
from kiosk.queue.waits import wait_words

INTAKE_WORDS = {"intake_done": "접수 완료", "ticket_only": "번호표만"}
HELP_WORDS = "🔔 직원 호출"


def row_status(ticket: QueueTicket) -> str:
    words = ["대기", INTAKE_WORDS.get(ticket.intake, ticket.intake)]
    if ticket.transferred:
        words.append("이관됨")
    if ticket.help_requested:
        words.append(HELP_WORDS)
    return " · ".join(words)


class QueueBoard(QTreeWidget):
    def __init__(self, line_names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_names = line_names
        self.setHeaderLabels(["번호", "상태", "대기"])
        self.setRootIsDecorated(False)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.waiting_count = 0

    def show_queue(self, queue: QueueOut) -> None:
        self.clear()
        self.waiting_count = 0
        for line in queue.lines:
            pace = f"1명당 약 {round(line.service_minutes)}분" if line.service_minutes else ""
            top = QTreeWidgetItem(
                [self.line_names.get(line.line, line.line), f"{len(line.waiting)}명 대기", pace]
            )
            top.setFirstColumnSpanned(False)
            font = top.font(0)
            font.setBold(True)
            for column in range(3):
                top.setFont(column, font)
            for t in line.called:
                top.addChild(QTreeWidgetItem([t.display, f"호출됨 → 창구 {t.desk}", ""]))
            for t in line.waiting:
                # the words the person read on the kiosk and the slip (kiosk.queue.waits: one wording)
                waits = wait_words(t.people_ahead, t.wait_minutes or 0)
                item = QTreeWidgetItem([t.display, row_status(t), waits])
                item.setData(0, Qt.ItemDataRole.UserRole, str(t.id))
                if t.help_requested:
                    item.setToolTip(1, "이분의 키오스크에서 직원을 부르고 있어요")
                top.addChild(item)
            self.waiting_count += len(line.waiting)
            self.addTopLevelItem(top)
            top.setExpanded(True)
