-- Meetings per UTC day: how many, how many people joined, and the hours people spent in them.
SELECT
    report_date,
    count(*) AS meetings,
    sum(participants_count)::BIGINT AS participants,
    round(sum(total_minutes) / 60.0, 1) AS person_hours
FROM main.meeting_reports
GROUP BY report_date
ORDER BY report_date;
