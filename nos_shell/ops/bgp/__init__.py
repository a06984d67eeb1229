"""The BGP area of operational mode: sessions and neighbors (summary.py), the BGP table and
`reset ip bgp` (rib.py), and where their state comes from (source.py)."""
