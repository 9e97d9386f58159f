"""Readers that turn plan documents into one neutral structure (`types.ParsedPlan`).

Every reader (Markdown and HTML tables, Word, CSV/XLSX, narrative inclusion plans,
JSON interchange) produces the same structure and reports problems the same way
(`problems.PlanImportError`), so matching and saving live once, in
`inclusion.plans.services.imports` (docs/adr/0007-plan-import.md).
"""
