"""Money and partners: who takes part, who funds, what is planned, granted and spent (issue 15).

Sits between the cycle engine (spending is recorded in the cycle file) and the needs
analysis. Plain functions on plain data; the CLI and the report render what they return.
"""
