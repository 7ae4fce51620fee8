"""
The office deployment (issue 19): what runs the atlas for a team on one internal server.
`office.serve` starts N Streamlit replicas behind HAProxy with sticky sessions
(`python -m office.serve`, `make serve-office`); `office.postgres` runs a throwaway PostgreSQL
cluster as an unprivileged user. Neither is imported by `geo/` or by the pages.
"""
