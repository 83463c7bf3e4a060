"""paperless-kiosk: paperless intake and counseling for Korea's inclusive-finance support centers."""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def _requirements(name: str) -> list[str]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


setup(
    name="paperless-kiosk",
    version="0.1.0",
    description="Paperless walk-in intake, matching and counseling for 서민금융통합지원센터",
    python_requires=">=3.11",
    packages=find_packages(include=["kiosk*", "devices*", "ui*", "db*", "printers*", "config*"]),
    package_data={
        "config": ["*.toml", "**/*.toml", "**/*.json", "**/*.txt", "**/*.md"],
        "db": ["migrations/*.py", "migrations/**/*.py", "alembic.ini"],
        "devices": ["**/*.json", "**/*.toml"],
        "printers": ["**/*.json", "**/*.toml"],
        "kiosk": ["web/templates/*.html", "web/static/*"],
        "ui": ["**/*.qss", "**/*.qm", "**/*.ts", "**/*.json"],
    },
    install_requires=_requirements("requirements.txt"),
    extras_require={"dev": _requirements("requirements-dev.txt")},
    entry_points={"console_scripts": ["kiosk=kiosk.cli:main"]},
)
