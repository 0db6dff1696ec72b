using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marketplace.BuildingBlocks.Hosting;

/// <summary>A settings section that says what is wrong with it: every problem, in words naming the setting.</summary>
public interface IValidatedOptions
{
    IEnumerable<string> Problems();
}

public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/> and checks it when the host starts: a wrong value stops
    /// the host with every problem named, instead of surfacing on the first request that reads it.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this WebApplicationBuilder builder, string section)
        where T : class, IValidatedOptions
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new Check<T>(section));
        return builder.Services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).ValidateOnStart();
    }

    private sealed class Check<T>(string section) : IValidateOptions<T>
        where T : class, IValidatedOptions
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            options.Problems().ToList() is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail(problems.Select(p => $"{section}:{p}"))
                : ValidateOptionsResult.Success;
    }
}
