using ContentPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>What the database would do for a query (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN), for tests that a query uses an index.</summary>
public static class QueryPlans
{
    /// <summary>The plan of <paramref name="query"/>, one line per step.</summary>
    public static async Task<string> PlanOfAsync<T>(this PortalDbContext db, IQueryable<T> query)
    {
        var sql = query.ToQueryString();
        sql = sql[sql.IndexOf("SELECT", StringComparison.Ordinal)..].Split("\n\n")[0]; // without EF's notes before and after
        await using var transaction = await db.Database.BeginTransactionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        if (db.Database.IsNpgsql())
        {
            // A seed-sized table is cheaper to scan; forbid that to see whether the indexes can answer the query.
            command.CommandText = "SET LOCAL enable_seqscan = off";
            await command.ExecuteNonQueryAsync();
        }

        command.CommandText = (db.Database.IsNpgsql() ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetValue(reader.FieldCount - 1).ToString()!);
        }

        return string.Join("\n", lines);
    }
}
