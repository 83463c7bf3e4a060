"""The counter's screens as widgets (their words are set by CounterWindow.retranslate, one language at a
time): pairing, a document page by page, and signing. Sizes come from the lobby's millimetre rules."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from config.sections.signature import SignatureSection
from kiosk.api.documents import DebtApplicationFigures
from kiosk.debt.visit_list import plan_rules
from kiosk.debt.wording import ESTIMATE_ONLY
from ui.counter.words import months_span, word
from ui.theme import ICON_COLOURS, ScreenMetrics, Sizes
from ui.widgets.buttons import set_icon, touch_button
from ui.widgets.signature_canvas import SignatureCanvas


def centred_label(name: str) -> QLabel:
    label = QLabel("")
    label.setObjectName(name)
    label.setProperty("role", "title")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class PairScreen(QWidget):
    def __init__(self, sizes: Sizes) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        self.prompt = QLabel("")
        self.prompt.setWordWrap(True)
        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(8)
        self.code_edit.setMinimumHeight(sizes.touch)
        self.button = touch_button(role="primary", name="pairButton")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        for widget in (self.prompt, self.code_edit, self.button, self.message):
            box.addWidget(widget)
        box.addStretch()


class DebtPanel(QFrame):
    """A 채무조정 신청서's key figures in large type above its pages: program, monthly payment, term,
    principal cut, and the estimate sentence. Hidden for every other document."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("debtPlanPanel")
        self.setProperty("role", "card")
        box = QVBoxLayout(self)
        self.heading = QLabel("")
        self.heading.setProperty("role", "lead")
        self.program = QLabel("")
        self.program.setProperty("role", "title")
        self.monthly = QLabel("")
        self.monthly.setObjectName("debtMonthly")
        self.monthly.setProperty("role", "title")
        self.term = QLabel("")
        self.term.setProperty("role", "lead")
        self.principal = QLabel("")
        self.principal.setProperty("role", "lead")
        self.principal.setWordWrap(True)
        self.notice = QLabel("")
        self.notice.setProperty("role", "hint")
        self.notice.setWordWrap(True)
        # Three lines, so the page below keeps its room: what and which program; the month, the term,
        # the principal; the estimate sentence.
        first, second = QHBoxLayout(), QHBoxLayout()
        first.addWidget(self.heading)
        first.addWidget(self.program, 1)
        second.addWidget(self.monthly)
        for label in (self.term, self.principal):
            second.addSpacing(24)
            second.addWidget(label, 1 if label is self.principal else 0)
        box.addLayout(first)
        box.addLayout(second)
        box.addWidget(self.notice)
        self.figures: DebtApplicationFigures | None = None
        self.hide()

    def show_figures(self, figures: DebtApplicationFigures | None, language: str) -> None:
        self.figures = figures
        self.retranslate(language)

    def retranslate(self, language: str) -> None:
        f = self.figures
        labels = (self.heading, self.program, self.monthly, self.term, self.principal, self.notice)
        if f is None:
            for label in labels:
                label.clear()
            self.hide()
            return
        rules = plan_rules().program(f.program)
        en = language == "en"
        self.heading.setText(word("plan_heading", language))
        self.program.setText(rules.name_en if en else rules.name_ko)
        self.monthly.setText(word("plan_monthly", language, amount=f.monthly_krw))
        self.term.setText(months_span(f.term_months, language))
        self.principal.setText(
            word(
                "plan_cut",
                language,
                before=f.principal_before_krw,
                after=f.principal_after_krw,
                cut=f.cut_krw,
            )
            if f.cut_krw
            else word("plan_no_cut", language, before=f.principal_before_krw)
        )
        self.notice.setText(ESTIMATE_ONLY[1 if en else 0])
        self.show()


class DocumentScreen(QWidget):
    """Title and page number on top, thumbnails beside the page (fit to width), big buttons below."""

    def __init__(self, metrics: ScreenMetrics, sizes: Sizes) -> None:
        super().__init__()
        doc = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel("")
        self.title.setObjectName("documentTitle")
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.page_label = QLabel("")
        self.page_label.setObjectName("pageNumber")
        self.language_button = touch_button(role="secondary", name="counterLanguage")
        self.language_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
        top.addWidget(self.title, 1)
        top.addWidget(self.page_label)
        top.addWidget(self.language_button)
        doc.addLayout(top)
        self.debt_panel = DebtPanel()  # only for a 채무조정 신청서
        doc.addWidget(self.debt_panel)
        body = QHBoxLayout()
        self.thumbs = QListWidget()
        self.thumbs.setObjectName("pageThumbs")
        self.thumbs.setIconSize(QSize(metrics.px(22), metrics.px(31)))
        self.thumbs.setFixedWidth(metrics.px(32))
        self.page_view = QLabel("")
        self.page_view.setObjectName("pageView")
        self.page_view.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_scroll = QScrollArea()
        self.pages_scroll.setWidgetResizable(True)
        # Fit to width, scroll down: a steady width, so the page never slides sideways under a finger.
        self.pages_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.pages_scroll.setWidget(self.page_view)
        body.addWidget(self.thumbs)
        body.addWidget(self.pages_scroll, 1)
        doc.addLayout(body, 1)
        self.progress = QLabel("")
        self.progress.setObjectName("counterProgress")
        self.progress.setProperty("role", "guidance")
        self.progress.setWordWrap(True)
        doc.addWidget(self.progress)
        actions = QHBoxLayout()
        self.previous_button = touch_button(role="big", name="previousPage")
        self.read_button = touch_button(role="big", name="readAloud", checkable=True)
        self.next_button = touch_button(role="primary", name="nextPage")
        icon_px = round(sizes.title * 1.3)
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # the arrow after the word
        for button, name, role in (
            (self.previous_button, "mdi6.chevron-left", "text"),
            (self.read_button, "mdi6.volume-high", "text"),
            (self.next_button, "mdi6.chevron-right", "on_primary"),
        ):
            set_icon(button, name, ICON_COLOURS["default"][role], icon_px)
        actions.addWidget(self.previous_button, 1)
        actions.addWidget(self.read_button, 1)
        actions.addWidget(self.next_button, 2)
        doc.addLayout(actions)


class SignScreen(QWidget):
    """What is signed (title and short code), the signing surface, 문서 다시 보기 and 서명하기."""

    def __init__(self, metrics: ScreenMetrics, signature: SignatureSection) -> None:
        super().__init__()
        sign = QVBoxLayout(self)
        self.title = QLabel("")
        self.title.setProperty("role", "title")
        self.caption = QLabel("")
        self.caption.setObjectName("signCaption")
        self.caption.setWordWrap(True)
        self.prompt = QLabel("")
        self.prompt.setProperty("role", "guidance")
        self.prompt.setWordWrap(True)
        self.canvas = SignatureCanvas(settings=signature, dpi=metrics.dpi)
        self.canvas.caption.hide()  # the screen's own caption above names the document
        self.canvas.setMinimumHeight(metrics.px(60))
        actions = QHBoxLayout()
        self.back_button = touch_button(role="big", name="backToDocument")
        self.sign_button = touch_button(role="primary", name="signButton")
        actions.addWidget(self.back_button, 1)
        actions.addWidget(self.sign_button, 2)
        for widget in (self.title, self.caption, self.prompt):
            sign.addWidget(widget)
        sign.addWidget(self.canvas, 1)
        sign.addLayout(actions)
