"""Readers of published statistics: DfE's open-data layout (opendata), mapping files
(mapping), the codes published instead of numbers (codes), and problems (problems)."""

from pathlib import Path

# The release zip shipped with the app (data/NOTICE.md), for the demo and for tests.
SHIPPED_RELEASE = (
    Path(__file__).resolve().parents[1] / "data" / "education-health-and-care-plans_2025.zip"
)
