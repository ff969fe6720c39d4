-- The busiest hours of the week: meetings started per weekday and hour, with the people who joined
-- them. Hours are UTC; replace 'UTC' with a zone such as 'Europe/Berlin' to see local hours.
SELECT
    dayname(start_time AT TIME ZONE 'UTC') AS weekday,
    hour(start_time AT TIME ZONE 'UTC') AS hour,
    count(*) AS meetings_started,
    sum(participants_count)::BIGINT AS participants
FROM main.meeting_reports
GROUP BY ALL
ORDER BY meetings_started DESC, participants DESC, weekday, hour
LIMIT 15;
