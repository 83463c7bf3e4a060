"""Printer models are data (config/printers/<name>.toml): paper, fonts, cutter, QR, baud, sensors."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from config import ConfigError, resource_path
from config.loader import load_data_file


class PrinterModel(BaseModel):
    """What one printer model can do; every key is required so a forgotten one is caught at load."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,59}$")
    description: str
    paper_width_dots: int = Field(ge=200, le=1000)
    chars_per_line: int = Field(ge=16, le=80)
    korean_font: bool
    # KS X 1001 printers ("euc-kr") lack the CP949 extension syllables; those go out as an image line.
    korean_charset: Literal["cp949", "euc-kr"]
    cutter: bool
    native_qr: bool
    baud: int = Field(ge=1200, le=921600)
    status_queries: tuple[int, ...] = Field(min_length=1)
    escpos_profile: str

    @property
    def dots_per_column(self) -> int:
        return self.paper_width_dots // self.chars_per_line


def models_dir() -> Path:
    return resource_path("printers")


def available_models() -> list[str]:
    return sorted(path.stem for path in models_dir().glob("*.toml"))


def load_model_file(path: Path) -> PrinterModel:
    return load_data_file(path, PrinterModel)


def load_model(name: str) -> PrinterModel:
    """The named model from config/printers; an unknown name lists the ones that exist."""
    path = models_dir() / f"{name}.toml"
    if not path.is_file():
        raise ConfigError(str(path), "printer.model", name, f"one of {available_models()}")
    return load_model_file(path)
