"""Period reports: indicator counts aggregated in SQL, the assessment, and the files people send upward."""
