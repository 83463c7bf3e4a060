"""Build identity readers from settings (what the lobby, the demo and the CLI call)."""

from __future__ import annotations

from pathlib import Path

from config import Settings
from devices.id.image.pipeline import CardImagePipeline, ImageReadOptions
from devices.id.image.reader import FrameProvider, ImageIdReader
from devices.id.verifier import IdVerifier, make_verifier


def image_options(settings: Settings) -> ImageReadOptions:
    ident = settings.identity
    keep = (
        ident.keep_gender_digit if ident.keep_gender_digit is not None else settings.privacy.keep_gender_digit
    )
    return ImageReadOptions(
        keep_gender_digit=keep,
        ocr_lang=ident.ocr_lang,
        read_license_serial=ident.read_license_serial,
        layouts_dir=ident.layouts_dir,
        max_image_bytes=ident.max_image_bytes,
        max_image_pixels=ident.max_image_pixels,
    )


def image_pipeline(settings: Settings) -> CardImagePipeline:
    return CardImagePipeline(image_options(settings))


def image_reader(settings: Settings, source: str | int | Path | FrameProvider | None = None) -> ImageIdReader:
    """``source`` overrides the configured camera / drop folder (the demo passes the virtual scanner)."""
    ident = settings.identity
    chosen = source if source is not None else (ident.drop_folder or ident.camera)
    if chosen in ("", None):
        raise ValueError("identity.camera or identity.drop_folder must be set, or pass a source")
    return ImageIdReader(chosen, image_options(settings), delete_after_read=ident.delete_after_read)


def verifier(settings: Settings) -> IdVerifier:
    return make_verifier(settings.identity.verifier)
