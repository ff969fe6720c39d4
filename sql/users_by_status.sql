-- Users by status (active, inactive, pending), and how many of them hold a license (type 2).
SELECT
    status,
    count(*) AS users,
    count(*) FILTER (WHERE type = 2) AS licensed
FROM main.zoom_users
GROUP BY status
ORDER BY users DESC, status;
