"""ID card images: detection, quality guidance, layout OCR, fallback, MRZ, validation, masking."""
