using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Data.Postgres;

/// <summary>
/// The same model on PostgreSQL. A type of its own only so its migrations (Data/Postgres/Migrations) are
/// kept apart from SQLite's: EF Core binds a migration to one context type. Pages and services never see
/// this type; they ask for <see cref="PortalDbContext"/>.
/// </summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options);
