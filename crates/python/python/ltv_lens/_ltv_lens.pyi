"""Type stubs of the native module `ltv_lens._ltv_lens` (crates/python/src). Use the package's
functions (`ltv_lens.analyze`, `customers`, `fit`, …), which convert their arguments and call these."""

from typing import Any, Dict, List, Optional, Sequence, Union

__version__: str
SCHEMA_VERSION: int

def analyze_json(source: Union[str, bytes], options: Dict[str, Any]) -> str: ...
def customer_rows(
    source: Union[str, bytes], filter: Dict[str, Any], options: Dict[str, Any]
) -> List[Dict[str, Any]]: ...
def customer_columns() -> List[str]: ...
def fit(
    model: str,
    frequency: Sequence[float],
    recency: Sequence[float],
    t: Sequence[float],
    monetary_value: Optional[Sequence[float]] = None,
) -> Dict[str, Any]: ...
