using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

internal static class OwnedRows
{
    /// <summary>An owned collection as a table of its own: a surrogate key and the owner's id.</summary>
    public static void MapToTable<TOwner, TOwned>(this OwnedNavigationBuilder<TOwner, TOwned> rows, string table, string ownerKey)
        where TOwner : class
        where TOwned : class
    {
        rows.ToTable(table);
        rows.WithOwner().HasForeignKey(ownerKey);
        rows.Property<int>("Id");
        rows.HasKey("Id");
    }
}
