"""Gap detection (gaps.md): findings, coverage matrix, sentencing view and what-if, for notebooks and the CLI/API."""

from deepfake_kg.gaps.api import coverage, find_gaps, sentencing, what_if
from deepfake_kg.gaps.findings import FIELDS, GAP_IDS, NOTICE_IDS, Finding
from deepfake_kg.gaps.proposals import ProposalError

__all__ = ["FIELDS", "GAP_IDS", "NOTICE_IDS", "Finding", "ProposalError", "coverage", "find_gaps", "sentencing", "what_if"]
