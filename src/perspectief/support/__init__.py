"""The national support team (Landelijk ondersteuningsteam): the quarterly progress
collection, the regions' periodic reflection, bottlenecks and good examples across regions,
and support requests (#19)."""
